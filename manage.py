#!/usr/bin/env python
from rankfile.cli import main

if __name__ == "__main__":
    main()
