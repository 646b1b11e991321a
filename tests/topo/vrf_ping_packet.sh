#!/bin/bash
# tests/topo/vrf_ping.sh with the AF_PACKET backend (`dataplane backend
# packet` on every ped, switched at run time): the same checks must pass.
FWD_BACKEND=packet exec bash "$(dirname "$0")/vrf_ping.sh"
