#!/bin/bash
# tests/topo/fwd_l3vpn6.sh with the AF_PACKET backend (`dataplane backend
# packet` on every ped, switched at run time): the same checks must pass.
FWD_BACKEND=packet exec bash "$(dirname "$0")/fwd_l3vpn6.sh"
