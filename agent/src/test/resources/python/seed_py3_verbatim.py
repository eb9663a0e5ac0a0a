# The seed's Python 3 example (blender-xmlrpc-server, /work/shared/seed), verbatim but for the port, which comes
# from argv instead of `port=8001`, and the indentation the seed's text lost.
import sys
import xmlrpc.client as xmlrpclib
import socket
# get server data function
def server_data(host='localhost', port=8000, app='', debug=False):
    if debug:
        print('Scanning port:', port)
    try:
        proxy = xmlrpclib.ServerProxy(
            'http://'+host+':'+str(port)+'/', allow_none=True)
        data = proxy.server_data()
        if debug:
            print(' ', port, data)
        if app in data['exe']:
            return data
    except(socket.error):
        if debug:
            print('Couldnt connect with the socket-server: %s\n' % port)
# send a command to the server
def xmlrpc_command(string_cmd, host='localhost', port=8000, debug=False):
    proxy = xmlrpclib.ServerProxy(
        'http://'+host+':'+str(port)+'/',
        allow_none=True)
    com = proxy.command(string_cmd)
    if debug:
        print(
            'on port',
            port,
            'and host',
            host,
            'Your command is: ' + com
        )
    return com
# since in this example, we assume you are running this script
# from a blender session which already runs an xml-rpc server on port 8000
# in order to talk to another on which is running xml-rpc server on port 8001
port=int(sys.argv[1])
# print data from remote blender session within the current blender session
data = server_data(port=port)
scene_objects = str(data['scene_objects'])
print('Scene Objects are:', scene_objects)
# send print data cmd from current blender session in the remote blender session
string_cmd=''
string_cmd+='print()\n'
string_cmd+='print("Blender data is: '+str(data)+'")\n'
string_cmd+='print("Scene Objects are: '+str(scene_objects)+'")\n'
string_cmd+='print()\n'
xmlrpc_command(string_cmd, port=port)
