"""`python -m nndojo` runs the app, like the `nndojo` command."""

from nndojo.tui.cli import main

raise SystemExit(main())
