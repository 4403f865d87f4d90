"""2. The passages a question is asked of: the filters checked against the index (`filters`), an
article named by its title (`titled`), and the hybrid dense and keyword search (`search`)."""
