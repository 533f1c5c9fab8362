"""dangjian: Chinese party-building news to a versioned research dataset."""

__version__ = "0.1.0"
