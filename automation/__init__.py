"""tracesctl's foundation: page objects, second factors, browser, configuration and the offline portal."""
