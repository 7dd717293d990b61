"""The one error of the quiz tool's inputs: a bank file, a roster, a key sheet or a responses
file that cannot be used. ``problems`` lists every reason, one message each."""


class InputError(Exception):
    """An input file that cannot be used; ``problems`` has one message per problem found."""

    def __init__(self, problems):
        problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(problems))
        self.problems = problems
