import sys

from welcomedesk.cli import main

sys.exit(main())
