from rankfile.cli import main

main()
