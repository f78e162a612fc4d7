#!/bin/sh
# The demo app: prints a greeting.
echo "hello from the ballast demo"
