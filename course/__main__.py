"""`python -m course` runs the `course` command."""

import sys

from course.cli import main

sys.exit(main())
