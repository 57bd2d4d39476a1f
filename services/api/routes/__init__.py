"""The HTTP service's routes, one module per kind of answer."""
