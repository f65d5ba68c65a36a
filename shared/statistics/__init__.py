"""What the centre reports to its funders: case facts that survive erasure, and the
monthly counters summed from them."""
