"""Text to vectors: the sentence encoders (ONNX, exported once by `onnx_export`), the background embedding
queue and int8 quantization. Knows nothing of where vectors are stored: it never imports `index.embedded`
or `index.qdrant`."""
