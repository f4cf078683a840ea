"""Annual reports built from the platform's data (政府信息公开工作年度报告)."""
