"""``python -m gongkai``: the same as the ``gongkai`` console script."""

import sys

from .cli import main

sys.exit(main())
