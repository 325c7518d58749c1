# Internet en la terminal
section-internet = Internet
internet-intro = Navegá por internet en esta terminal. Cuando termines la sesión se borra todo: las páginas que viste, lo que escribiste y lo que descargaste.
internet-no-sites = El centro todavía no eligió sitios recomendados.
internet-browsing = El navegador está abierto. «Volver a Plaza» lo deja a un lado y «Volver a internet» lo trae de vuelta. Al terminar la sesión se borra todo lo que hiciste en internet.
internet-back-to-plaza = Volver a Plaza
internet-missing = Internet no está disponible en esta terminal ahora. Avisale al personal del centro.
internet-failed = No pudimos abrir el navegador. Probá de nuevo en un momento o avisale al personal del centro.
open-here = Abrir acá
internet-resume = Volver a internet
