import sys

from forumdash.cli import main

sys.exit(main())
