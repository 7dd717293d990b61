"""Model grading: a student's Keras model, graded from the data that comes out of the sandbox.

The numpy graders compare values; these grade a model the student built. Out of the sandbox
come only Keras's JSON config of the model (no weights, no pickles, no code) and the training
settings as plain data. On the trusted side:

  config_check    the JSON text -> ModelSpec: an allow-list of classes and arguments, every
                  layer's shapes and parameter count computed from the config, sizes refused
                  past LIMITS, all before Keras allocates anything
  settings_check  the settings dict -> reference.TrainingSettings (an allow-list with ranges)
  build           ModelSpec -> a Keras model (``model_from_json(..., safe_mode=True)``)
  architecture    the student's layers against the reference model's, layer by layer, and the
                  functional check (the reference's weights in the student's model)
  trained         the grader's own training (its seed, its split, a time budget), once per
                  distinct (config, settings, seed): an in-process and an on-disk cache
  cases           the cases and ``grade`` a grader module (graders/build_*.py) is made of

``Refused`` is what a config or settings the grader will not build or use raises; its message is
Korean, for the student.
"""


class Refused(Exception):
    """The submitted model config or training settings are not built or used: a Korean reason.

    key: a short English key for the kind of refusal (counted across a class, like mistakes).
    """

    def __init__(self, message, key="refused"):
        super().__init__(message)
        self.message, self.key = message, key
