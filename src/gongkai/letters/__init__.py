"""Letters (告知书、答复书), fees (信息处理费) and delivery (送达) of disclosure applications."""
