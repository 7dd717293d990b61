"""The XML writing the LMS exports share (Moodle XML, QTI 1.2): elements with text, and the
indented UTF-8 document with its declaration."""
import xml.etree.ElementTree as ET


def element(parent, tag, attrs=None, text=None):
    """A new child ``tag`` of ``parent`` with attributes ``attrs`` and, if given, ``text``."""
    node = ET.SubElement(parent, tag, attrs or {})
    if text is not None:
        node.text = text
    return node


def document(root):
    """``root`` as an indented XML document (a str) with an XML declaration and a final newline."""
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
