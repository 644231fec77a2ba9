from autoheal.cli import main

main()
