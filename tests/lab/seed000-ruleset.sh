#!/bin/bash
# Lists testdata/seed000/ruleset-input.nft the way nft prints it: loaded
# into a network namespace of its own and dumped with `nft list ruleset`
# (text, -a and -j), so the test data is nft's real output; the same for
# ruleset-interval-input.nft. Needs root.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)/testdata/seed000
ns="nlab-$$-seed000"
ip netns add "$ns"
trap 'ip netns del "$ns"' EXIT
ip netns exec "$ns" nft -f "$here/ruleset-input.nft"
ip netns exec "$ns" nft list ruleset > "$here/ruleset.nft"
ip netns exec "$ns" nft -a list ruleset > "$here/ruleset-a.nft"
ip netns exec "$ns" nft -j list ruleset > "$here/ruleset.json"
ip netns exec "$ns" nft flush ruleset
ip netns exec "$ns" nft -f "$here/ruleset-interval-input.nft"
ip netns exec "$ns" nft list ruleset > "$here/ruleset-interval.nft"
