"""The analytics pages: overlapping memberships, growth of the system, the meetings on one time
axis, and UN DESA migrant stock per process and per country — each chart with what it shows,
its source, and its numbers and picture as downloads (CSV, XLSX, PNG)."""

from rcphub.web.analytics.cache import AnalyticsCache
from rcphub.web.analytics.routes import router

__all__ = ["AnalyticsCache", "router"]
