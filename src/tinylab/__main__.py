from tinylab.cli import main

main()
