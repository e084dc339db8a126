"""Speed and quality benchmarks (not run by CI); results are stored in benchmarks/results/."""
