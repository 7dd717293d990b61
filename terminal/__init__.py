"""What the command-line tools share: argparse as every command sets it up (``arguments``) and
text measured in terminal columns (``width``)."""
