#!/bin/sh
# embed.sh - writes a C file that holds a text file as a string: embed.sh NAME FILE > OUT.c
# Used to compile the Al the Accountant story into the privsim binary for `privsim demo`.
name=$1
file=$2
printf '/* Generated from %s by sim/embed.sh; do not edit. */\n#include <stddef.h>\n' "$file"
printf 'const char %s[] =\n' "$name"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$/\\n"/' "$file"
printf '    ;\nconst size_t %s_len = sizeof %s - 1;\n' "$name" "$name"
