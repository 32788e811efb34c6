// An LD_PRELOAD library for power-cut tests: see power_cut.c. Nothing here is meant to be called from Swift.
#pragma once
