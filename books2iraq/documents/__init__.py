"""The paperwork, made with ReportLab from plain data: labels, packing lists, customs manifest, receipt."""
