// Anchor for the shared precompiled header target (CMakeLists.txt: aof_pch).
