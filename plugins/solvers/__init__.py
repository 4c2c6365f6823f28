"""microconda plugins."""
