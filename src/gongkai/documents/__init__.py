"""主动公开: the government document registry, 解读, 一策一码 and the disclosure catalogue."""
