#!/bin/sh
# Generates captions for the memory and time measurements in the README (deterministic).
#
#   bench/gen-captions.sh LINES DISTINCT > captions.txt   LINES records drawn from DISTINCT
#                                                         captions of 8 to 20 words, each with
#                                                         one of six credit endings
#   bench/gen-captions.sh --one-line MB > line.txt        one line of MB megabytes: sentences
#                                                         of 12 words, ending in (AP Photo)
set -eu
awk -v mode="$1" -v a="${2:-}" -v b="${3:-}" '
BEGIN {
    srand(7)
    n = split("police officers detain a protester during rally in Minsk Belarus Sunday woman holds flag the march Biden speaks at White House crowd gathers near square storm floods city river bridge children play park winter snow fans cheer stadium team wins match", w, " ")
    split("(AP Photo)|(AP Photo/Evan Vucci)|REUTERS/Jane Doe|Photo: John Smith|(Photo by Jane Doe/AFP via Getty Images)|", credit, "|")
    if (mode == "--one-line") {
        bytes = a * 1000000; size = 0
        while (size < bytes) {
            s = sentence(12); printf "%s ", s; size += length(s) + 1
        }
        print "(AP Photo)"
        exit
    }
    lines = mode; distinct = a
    for (i = 0; i < distinct; i++) pool[i] = sentence(8 + int(rand() * 13))
    for (i = 0; i < lines; i++) {
        c = (i < distinct) ? pool[i] : pool[int(rand() * distinct)]
        print c " " credit[1 + int(rand() * 6)]
    }
}
function sentence(k,   s, j) {
    s = w[1 + int(rand() * n)]
    s = toupper(substr(s, 1, 1)) substr(s, 2)
    for (j = 1; j < k; j++) s = s " " w[1 + int(rand() * n)]
    return s "."
}'
