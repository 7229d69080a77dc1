//! Browser journeys (placeholder until the WebDriver suite lands).
