"""The public portal: apply online, follow an application, download the letters."""
