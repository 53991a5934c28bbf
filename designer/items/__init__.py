"""Scene items: they hold ids and draw; they never change the diagram."""
