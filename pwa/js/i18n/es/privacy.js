// Las palabras de Hearth en español para la pantalla de privacidad (se cargan con sus pantallas).
export default {
  "privacy.title": "Cómo funciona tu privacidad",
  "privacy.lede": "Dicho con sencillez: qué se queda en este teléfono, qué viaja y quién puede ver qué.",
  "privacy.phone_title": "En este teléfono",
  "privacy.phone_kept": "Todo lo que escribes se guarda en este teléfono, en el almacenamiento propio de este navegador. No hay cuenta ni contraseña que recordar.",
  "privacy.between_title": "Entre vuestros dos teléfonos",
  "privacy.between_locked": "Lo que compartes se cierra con llave en tu teléfono antes de salir, con claves que solo tienen vuestros dos teléfonos. Se crearon cuando os emparejasteis, y los seis números que comparasteis demuestran que nadie se coló en medio.",
  "privacy.between_server": "Un pequeño servidor lleva los mensajes cerrados de un teléfono al otro y olvida cada uno en cuanto ha llegado. No puede leerlos: no distingue una entrada del diario de un límite, ni sabe qué dicen.",
  "privacy.between_sees": "Sí ve que hay dos teléfonos emparejados, más o menos cuándo envían algo y cuánto. Quien tiene ese servidor también os sirve esta app, así que tenedlo vosotros o elegid a alguien de confianza.",
  "privacy.else_title": "Nada más",
  "privacy.else_nothing": "Hearth no carga nada de ningún otro sitio: ni anuncios, ni rastreo, ni fuentes o scripts de otras webs.",
  "privacy.safe_title": "Mantenerlo a salvo",
  "privacy.safe_backup": "Una copia de seguridad se cierra con una frase de contraseña que eliges tú; sin ella, nadie puede abrir el archivo, ni siquiera nosotros.",
  "privacy.safe_copy": "Una copia legible que descargas no va cerrada, así que guárdala en un lugar privado.",
  "privacy.safe_hide": "Ocultar rápido tapa la pantalla al momento. Borrar Hearth de este teléfono elimina todo lo que guarda aquí.",
};
