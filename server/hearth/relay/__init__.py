"""The Hearth relay: stores and forwards opaque envelopes between paired devices."""
