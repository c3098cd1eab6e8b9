"""edXML (QCVN 102:2016/BTTTT): the package between agencies' document systems, as plain data
(`model`), written (`writer`) and read (`reader`), with the status codes and identifier checks
(`codes`). Django-free, so a gateway or a command-line tool can use it as is."""
