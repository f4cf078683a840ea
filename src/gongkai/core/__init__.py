"""The pure core of gongkai: statutory rules and the annual-report engine, without Django."""
