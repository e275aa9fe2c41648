"""Flow of backlog items: metrics read off their history, and throughput forecasts."""
