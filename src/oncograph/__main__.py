from oncograph.cli import main

main()
