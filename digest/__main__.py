"""python -m digest."""

import sys

from .cli import main

sys.exit(main())
