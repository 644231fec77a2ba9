"""The file MLflow logs as the pyfunc's code ("models from code"): it names the model object.

Logging a file instead of a pickled object keeps the registered model readable and free of
CloudPickle; loading it needs this package installed, as the pickle did.
"""

import mlflow.models

from model.mlflow_model import AutohealPyfunc

mlflow.models.set_model(AutohealPyfunc())
