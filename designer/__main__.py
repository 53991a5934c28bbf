"""`python -m designer [FILE]`: the campaign designer on its own."""

import sys

from designer.window import main

sys.exit(main())
