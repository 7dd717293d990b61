"""Answer sheets printed with each copy: the layout as data (``layout``), the QR code's
fields (``qr``) and the sheet's HTML for the PDF (``render``). ``quizzes.scan`` reads them back."""
