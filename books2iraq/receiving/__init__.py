"""The last step of the flow: the recipient checks in each crate that arrives."""
