#include <stdio.h>
void func2(){
        printf("func2\n");
}
