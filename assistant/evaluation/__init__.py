"""Staff evaluation: the golden question set, metrics, calibration and the HTML report."""
