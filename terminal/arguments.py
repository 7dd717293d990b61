"""argparse as every command of the project sets it up (``Parser``):

- flags are never abbreviated: ``--worker 2`` is an error, not ``--workers 2``;
- a mistake after a subcommand (``serve --prot 80``) is reported with that subcommand's usage,
  not the top level's (argparse hands a subcommand's unknown arguments up to the top parser);
- ``--help`` shows every flag's default after its help ("(default: 8000)").
"""
import argparse


class HelpFormatter(argparse.HelpFormatter):
    """Adds " (default: X)" to a flag's help unless the help already says its default or there is
    none to say (None, False, an empty list)."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" in text or not action.option_strings or action.default in (None, False, [], argparse.SUPPRESS):
            return text
        return f"{text} (default: %(default)s)"


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (and, through ``add_subparsers``, its subcommands') with the rules above."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args=None, namespace=None):
        """Strict: an argument this parser does not know is its own error (its usage, exit 2)."""
        namespace, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras
