"""``python -m service [--host H] [--port P] [--workers N]``: serve with settings from env."""

from service.server import main

main()
