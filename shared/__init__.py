"""What every welcomedesk service shares: vocabulary, directory, region and settings."""
