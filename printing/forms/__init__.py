"""One layout module per printed form: a pure function from the form's data to PDF bytes."""
