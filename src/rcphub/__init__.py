"""rcphub: a self-hostable knowledge and information-exchange hub for regional consultative
processes on migration (RCPs), inter-regional forums and global migration dialogues."""

__version__ = "0.1.0"
