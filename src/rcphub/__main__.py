from rcphub.cli import main

main()
